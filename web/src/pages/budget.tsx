// Placeholder until the page lands: the route is registered in main.tsx.
import { useI18n } from '../i18n';
import { PageHeading, usePageTitle } from '../ui';

export function BudgetRoundsPage() {
  const { t } = useI18n();
  usePageTitle(t('budget.title'));
  return (
    <section>
      <PageHeading>{t('budget.title')}</PageHeading>
    </section>
  );
}

export function BudgetRoundPage() {
  const { t } = useI18n();
  usePageTitle(t('budget.title'));
  return (
    <section>
      <PageHeading>{t('budget.title')}</PageHeading>
    </section>
  );
}
