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
    /** Whether the field has a question: only those can be placed on a page. */
    readonly question: boolean;
  }[];
  /** The draft's placed questions (every page; the editor lists those for the page it is on). */
  readonly placements: readonly QuestionPlacementInput[];
  readonly purposes: readonly { readonly id: string; readonly name: Readonly<Record<string, string>> }[];
}

/** One page change as the editor builds it (core's `PageChange`, checked again by the server). */
export type PageChangeInput = Readonly<Record<string, unknown>> & { readonly op: string; readonly selector: string };

/** A placed question as the server stores it (core's `QuestionPlacement`). */
export interface QuestionPlacementInput {
  readonly id: string;
  readonly field: string;
  readonly selector: string;
  readonly position: 'before' | 'after' | 'inside';
  readonly pages?: readonly { readonly type: 'path' | 'regex'; readonly pattern: string }[];
}

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
  /** Saves a placed question into the draft; answers its lint findings. */
  placeQuestion(placement: QuestionPlacementInput): Promise<{ findings: EditorFinding[] }>;
  removePlacement(id: string): Promise<void>;
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
    // A 204 (a removed placement) has no body: an empty object stands in for it.
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
    placeQuestion: ({ id, ...placement }) => call('PUT', `/placements/${encodeURIComponent(id)}`, placement),
    removePlacement: async (id) => {
      await call('DELETE', `/placements/${encodeURIComponent(id)}`);
    },
  };
}
