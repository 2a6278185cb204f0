import type { Banner } from './candor-process.js';

/** The password a journey's admin chooses in place of the banner's one-time password. */
export const JOURNEY_PASSWORD = 'journeys choose a long passphrase';

/** An admin session over HTTP, as the dashboard holds one: a session cookie and the CSRF token. */
export interface AdminApi {
  get<T>(path: string): Promise<T>;
  send<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T>;
}

async function login(url: string, email: string, password: string): Promise<Response> {
  return fetch(`${url}/v1/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
}

/**
 * Signs in as the banner's admin. The one-time password must be replaced before any other admin
 * route opens, so the first sign-in (here or in the dashboard) replaces it with `JOURNEY_PASSWORD`;
 * later ones use that.
 */
export async function signIn(banner: Banner): Promise<AdminApi> {
  let response = await login(banner.url, banner.email, banner.password);
  let oneTime = true;
  if (response.status === 401 || response.status === 403) {
    response = await login(banner.url, banner.email, JOURNEY_PASSWORD);
    oneTime = false;
  }
  if (!response.ok) throw new Error(`admin login failed: ${response.status} ${await response.text()}`);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrfToken, mustChangePassword } = (await response.json()) as {
    csrfToken: string;
    mustChangePassword: boolean;
  };
  const request = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const answer = await fetch(`${banner.url}${path}`, {
      method,
      headers: {
        cookie,
        'x-csrf-token': csrfToken,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!answer.ok) throw new Error(`${method} ${path}: ${answer.status} ${await answer.text()}`);
    const text = await answer.text();
    return (text === '' ? undefined : JSON.parse(text)) as T;
  };
  if (oneTime && mustChangePassword)
    await request('POST', '/v1/admin/me/password', { currentPassword: banner.password, newPassword: JOURNEY_PASSWORD });
  return {
    get: (path) => request('GET', path),
    send: (method, path, body) => request(method, path, body),
  };
}

/** One arm of one metric in the results answer. */
export interface ArmFigures {
  readonly n: number;
  /** Conversions (n · mean for a proportion). */
  readonly conversions: number;
}

interface ResultsAnswer {
  readonly demoData?: boolean;
  readonly metrics: readonly {
    readonly metricId: string;
    readonly variants: readonly { readonly variantId: string; readonly n: number; readonly mean: number | null }[];
  }[];
}

/** Per arm (variant id, `$holdout` for the holdout) of one metric of an experience: units and conversions. */
export async function armFigures(api: AdminApi, site: string, experience: string, metric: string) {
  const answer = await api.get<ResultsAnswer>(
    `/v1/admin/sites/${site}/experiences/${experience}/results?metric=${encodeURIComponent(metric)}`,
  );
  const entry = answer.metrics.find((candidate) => candidate.metricId === metric);
  const arms = new Map<string, ArmFigures>();
  for (const variant of entry?.variants ?? []) {
    arms.set(variant.variantId, { n: variant.n, conversions: Math.round(variant.n * (variant.mean ?? 0)) });
  }
  return { arms, demoData: answer.demoData === true, raw: answer };
}

/** Today's row of the privacy report (UTC). */
export interface ReportDay {
  readonly day: string;
  readonly choices: number;
  readonly actions: Readonly<Record<string, number>>;
  readonly granted: Readonly<Record<string, number>>;
  readonly gpc: number;
  readonly exposures: number;
  readonly explanationOpens: number;
  readonly dontUse: number;
  readonly notRelevant: number;
  readonly preferenceCenter: number;
}

/** The privacy report's row for today (the last day of a one-day window). */
export async function reportToday(api: AdminApi, site: string): Promise<ReportDay> {
  const answer = await api.get<{ days: ReportDay[] }>(`/v1/admin/sites/${site}/privacy-report?days=1`);
  const today = answer.days.at(-1);
  if (today === undefined) throw new Error('the privacy report has no day');
  return today;
}
