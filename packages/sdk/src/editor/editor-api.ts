// The editor's only way to the server: the token in an Authorization header (never a cookie), so
// the page's own scripts and other origins cannot ride on the marketer's dashboard session.

/** What `GET /v1/editor/session` answers. */
export interface EditorSession {
  readonly siteKey: string;
  /** The variant the dashboard's "Edit on page" button was pressed for. */
  readonly focus: { readonly experience: string; readonly variant: string | null } | null;
  readonly languages: readonly ('en' | 'zh-Hant')[];
  readonly defaultLanguage: 'en' | 'zh-Hant';
  readonly experiences: readonly {
    readonly id: string;
    readonly name: string;
    readonly variants: readonly {
      readonly id: string;
      readonly name: string;
      readonly changes: readonly PageChangeInput[];
    }[];
  }[];
  readonly fields: readonly {
    readonly key: string;
    readonly type: string;
    readonly source: string;
    readonly purpose: string;
    readonly label: Record<string, string>;
  }[];
  readonly purposes: readonly { readonly id: string; readonly name: Readonly<Record<string, string>> }[];
}

/** One page change as the editor builds it (core's `PageChange`, checked again by the server). */
export type PageChangeInput = Readonly<Record<string, unknown>> & { readonly op: string; readonly selector: string };

/** One lint finding as the server sends it. */
export interface EditorFinding {
  readonly code: string;
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: string;
  readonly fixHint?: string;
}

/** One previewed slot: the decision and the exact explanation the visitor would get. */
export interface PreviewRow {
  readonly slot: string;
  readonly reason: string;
  readonly variant: string | null;
  readonly why: { readonly text: Readonly<Record<string, unknown>> };
}

/** A small client for the editor routes. */
export interface EditorApi {
  session(): Promise<EditorSession>;
  save(experience: string, variant: string, changes: readonly PageChangeInput[]): Promise<void>;
  lint(
    experience: string,
    variant: string,
    changes: readonly PageChangeInput[],
  ): Promise<{ findings: EditorFinding[]; refused: string[] }>;
  preview(body: Readonly<Record<string, unknown>>): Promise<PreviewRow[]>;
}

/** Creates the client for `api` (the Candor server's origin) with the editor token. */
export function editorApi(api: string, token: string, fetcher: typeof fetch = fetch): EditorApi {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetcher(`${api}/v1/editor${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      credentials: 'omit',
    });
    const json = (await response.json().catch(() => ({}))) as T & { detail?: string };
    if (!response.ok) throw new Error(json.detail ?? `HTTP ${response.status}`);
    return json;
  };
  return {
    session: () => call('GET', '/session'),
    save: async (experience, variant, changes) => {
      await call('PUT', `/variants/${encodeURIComponent(variant)}`, { experience, changes });
    },
    lint: (experience, variant, changes) =>
      call('POST', `/variants/${encodeURIComponent(variant)}/lint`, { experience, changes }),
    preview: (body) => call('POST', '/preview', body),
  };
}
