// Log in and register. Both end with a session cookie set by the server; the
// page then re-reads /me and goes to `?next=` (a same-site path) or /me.
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { endpoints } from '../api';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { PageHeading, usePageTitle } from '../ui';

function safeNext(next: string | undefined): string {
  // Only local paths: never let a link send a fresh login off-site.
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/me';
}

export function LoginPage() {
  const { t, errorText } = useI18n();
  const { refresh } = useSession();
  const { route, query } = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  usePageTitle(t('login.title'));

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await endpoints.login(email.trim(), password);
      await refresh();
      route(safeNext(query.next));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <section class="narrow">
      <PageHeading>{t('login.title')}</PageHeading>
      <form onSubmit={submit} class="card form" noValidate={false}>
        {error !== null && (
          <div class="alert alert-error" role="alert" id="login-error">
            {errorText(error)}
          </div>
        )}
        <div class="field">
          <label for="login-email">{t('login.email')}</label>
          <input
            id="login-email"
            name="email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
            aria-describedby={error !== null ? 'login-error' : undefined}
          />
        </div>
        <div class="field">
          <label for="login-password">{t('login.password')}</label>
          <input
            id="login-password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </div>
        <button type="submit" class="btn btn-primary btn-block" disabled={busy}>
          {busy ? t('login.busy') : t('login.submit')}
        </button>
        <p class="muted small">
          {t('login.noAccount')} <a href="/register">{t('login.registerLink')}</a>
        </p>
      </form>
    </section>
  );
}

export function RegisterPage() {
  const { t, errorText, locale } = useI18n();
  const { refresh } = useSession();
  const { route } = useLocation();
  const [form, setForm] = useState({ given_name: '', family_name: '', email: '', password: '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  usePageTitle(t('register.title'));

  const field = (name: keyof typeof form) => ({
    value: form[name],
    onInput: (e: Event) => setForm({ ...form, [name]: (e.currentTarget as HTMLInputElement).value }),
  });

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await endpoints.register({
        given_name: form.given_name.trim(),
        family_name: form.family_name.trim(),
        email: form.email.trim(),
        password: form.password,
        locale,
      });
      await refresh();
      route('/me');
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <section class="narrow">
      <PageHeading>{t('register.title')}</PageHeading>
      <form onSubmit={submit} class="card form">
        {error !== null && (
          <div class="alert alert-error" role="alert">
            {errorText(error)}
          </div>
        )}
        <div class="field">
          <label for="reg-given">{t('register.given')}</label>
          <input id="reg-given" name="given_name" autoComplete="given-name" required maxLength={100} {...field('given_name')} />
        </div>
        <div class="field">
          <label for="reg-family">{t('register.family')}</label>
          <input id="reg-family" name="family_name" autoComplete="family-name" required maxLength={100} {...field('family_name')} />
        </div>
        <div class="field">
          <label for="reg-email">{t('register.email')}</label>
          <input id="reg-email" name="email" type="email" autoComplete="email" required maxLength={254} {...field('email')} />
        </div>
        <div class="field">
          <label for="reg-password">{t('register.password')}</label>
          <input
            id="reg-password"
            name="password"
            type="password"
            autoComplete="new-password"
            required
            minLength={8}
            maxLength={200}
            aria-describedby="reg-password-hint"
            {...field('password')}
          />
          <p id="reg-password-hint" class="hint">
            {t('register.passwordHint')}
          </p>
        </div>
        <button type="submit" class="btn btn-primary btn-block" disabled={busy}>
          {busy ? t('register.busy') : t('register.submit')}
        </button>
        <p class="muted small">
          {t('register.haveAccount')} <a href="/login">{t('nav.login')}</a>
        </p>
      </form>
    </section>
  );
}
