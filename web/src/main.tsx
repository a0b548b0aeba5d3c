// Entry point: providers (language, session), the page frame and the routes.
import { render } from 'preact';
import { LocationProvider, Route, Router, useLocation } from 'preact-iso';
import './styles.css';
import { I18nProvider, LOCALES, isLocale, useI18n } from './i18n';
import { SessionProvider, useSession } from './session';
import { TreePage } from './pages/tree';
import { LoginPage, RegisterPage } from './pages/auth';
import { OrgPage } from './pages/org';
import { MembersPage } from './pages/members';
import { AdmissionsPage } from './pages/admissions';
import { MePage } from './pages/me';
import { NotFoundPage } from './pages/not_found';
import { GovernancePage } from './pages/governance';
import { ProposalPage } from './pages/proposal';
import { ConstitutionPage } from './pages/constitution';
import { NewProposalPage } from './pages/proposal_new';
import { ProxiesPage } from './pages/proxies';
import { RollPage, VotesPage } from './pages/roll';
import { MoneyPage, StatementPage } from './pages/money';
import { TreasuryPage } from './pages/treasury';
import { MarketListPage, MyOrdersPage, OrderPage, ShopPage } from './pages/market';
import { ManageCyclePage, OrgMarketPage, ProducerPage } from './pages/market_manage';
import { ContractPage, OrgContractsPage } from './pages/market_contracts';
import { AssetPage, WorkplacesPage } from './pages/workplaces';
import { LeasePage } from './pages/lease';
import { FundsPage } from './pages/funds';
import { BudgetRoundPage, BudgetRoundsPage } from './pages/budget';

function LanguageSelect() {
  const { t, locale, setLocale } = useI18n();
  return (
    <div class="lang">
      <label for="lang-select">{t('lang.label')}</label>
      <select
        id="lang-select"
        value={locale}
        onChange={(e) => {
          const v = (e.currentTarget as HTMLSelectElement).value;
          if (isLocale(v)) setLocale(v);
        }}
      >
        {LOCALES.map((l) => (
          <option key={l.code} value={l.code} lang={l.code}>
            {l.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function Header() {
  const { t } = useI18n();
  const { me, loading, logout } = useSession();
  const { route, path } = useLocation();
  const current = (p: string) => (path === p ? 'page' : undefined);
  return (
    <header class="site-header">
      <a class="skip" href="#main">
        {t('nav.skip')}
      </a>
      <div class="bar">
        <a href="/" class="brand">
          <svg aria-hidden="true" viewBox="0 0 32 32" width="28" height="28">
            <circle cx="16" cy="16" r="15" fill="currentColor" />
            <path d="M9 23 16 8l7 15M12 18h8" stroke="var(--brand)" stroke-width="3" fill="none" stroke-linecap="round" stroke-linejoin="round" />
          </svg>
          <span>{t('app.name')}</span>
        </a>
        <LanguageSelect />
      </div>
      <nav aria-label={t('nav.main')} class="nav">
        <ul>
          <li>
            <a href="/" aria-current={current('/')}>
              {t('nav.tree')}
            </a>
          </li>
          {me && (
            <li>
              <a href="/me" aria-current={current('/me')}>
                {t('nav.me')}
              </a>
            </li>
          )}
          {me && (
            <li>
              <a href="/me/money" aria-current={current('/me/money')}>
                {t('nav.money')}
              </a>
            </li>
          )}
          {me && (
            <li>
              <a href="/market" aria-current={current('/market')}>
                {t('nav.market')}
              </a>
            </li>
          )}
          {!me && !loading && (
            <>
              <li>
                <a href="/login" aria-current={current('/login')}>
                  {t('nav.login')}
                </a>
              </li>
              <li>
                <a href="/register" aria-current={current('/register')}>
                  {t('nav.register')}
                </a>
              </li>
            </>
          )}
          {me && (
            <li class="nav-end">
              <span class="who" title={me.account.email}>
                {t('nav.signedInAs', { name: me.person.given_name || me.account.email })}
              </span>
              <button
                type="button"
                class="btn btn-small btn-ghost"
                onClick={async () => {
                  await logout().catch(() => undefined);
                  route('/login');
                }}
              >
                {t('nav.logout')}
              </button>
            </li>
          )}
        </ul>
      </nav>
    </header>
  );
}

function App() {
  return (
    <>
      <Header />
      <main id="main" class="container">
        <Router onRouteChange={() => window.scrollTo(0, 0)}>
          <Route path="/" component={TreePage} />
          <Route path="/login" component={LoginPage} />
          <Route path="/register" component={RegisterPage} />
          <Route path="/me" component={MePage} />
          <Route path="/me/proxies" component={ProxiesPage} />
          <Route path="/me/money" component={MoneyPage} />
          <Route path="/accounts/:id" component={StatementPage} />
          <Route path="/orgs/:id/treasury" component={TreasuryPage} />
          <Route path="/market" component={MarketListPage} />
          <Route path="/market/cycles/:id" component={ShopPage} />
          <Route path="/market/cycles/:id/manage" component={ManageCyclePage} />
          <Route path="/market/orders/:id" component={OrderPage} />
          <Route path="/me/orders" component={MyOrdersPage} />
          <Route path="/orgs/:id/market" component={OrgMarketPage} />
          <Route path="/orgs/:id/producer" component={ProducerPage} />
          <Route path="/orgs/:id/contracts" component={OrgContractsPage} />
          <Route path="/market/contracts/:id" component={ContractPage} />
          <Route path="/orgs/:id/workplaces" component={WorkplacesPage} />
          <Route path="/assets/:id" component={AssetPage} />
          <Route path="/leases/:id" component={LeasePage} />
          <Route path="/orgs/:id/funds" component={FundsPage} />
          <Route path="/orgs/:id/budget" component={BudgetRoundsPage} />
          <Route path="/budget-rounds/:id" component={BudgetRoundPage} />
          <Route path="/orgs/:id" component={OrgPage} />
          <Route path="/orgs/:id/members" component={MembersPage} />
          <Route path="/orgs/:id/admissions" component={AdmissionsPage} />
          <Route path="/orgs/:id/decisions" component={GovernancePage} />
          <Route path="/orgs/:id/constitution" component={ConstitutionPage} />
          <Route path="/orgs/:id/proposals/new" component={NewProposalPage} />
          <Route path="/proposals/:id" component={ProposalPage} />
          <Route path="/proposals/:id/roll" component={RollPage} />
          <Route path="/proposals/:id/votes" component={VotesPage} />
          <Route default component={NotFoundPage} />
        </Router>
      </main>
    </>
  );
}

render(
  <I18nProvider>
    <SessionProvider>
      <LocationProvider>
        <App />
      </LocationProvider>
    </SessionProvider>
  </I18nProvider>,
  document.getElementById('app')!,
);
