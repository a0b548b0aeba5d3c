// Placeholder until the page lands: the route is registered in main.tsx.
import { useI18n } from '../i18n';
import { PageHeading, usePageTitle } from '../ui';

export function LeasePage() {
  const { t } = useI18n();
  usePageTitle(t('workplaces.title'));
  return (
    <section>
      <PageHeading>{t('workplaces.title')}</PageHeading>
    </section>
  );
}
