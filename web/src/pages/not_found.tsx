// Shown for any path the front end does not know.
import { useI18n } from '../i18n';
import { PageHeading, usePageTitle } from '../ui';

export function NotFoundPage() {
  const { t } = useI18n();
  usePageTitle(t('notFound.title'));
  return (
    <section>
      <PageHeading>{t('notFound.title')}</PageHeading>
      <p>
        <a href="/">{t('notFound.home')}</a>
      </p>
    </section>
  );
}
