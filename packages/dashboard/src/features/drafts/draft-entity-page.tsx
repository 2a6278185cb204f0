import type { WholeDraft } from '@candor/schema';
import type { ReactNode } from 'react';
import { useParams } from 'react-router';
import { Page } from '../../ui/page.js';
import { ErrorNotice, Loading } from '../../ui/status.js';
import { EntityWorkspace, worstSeverity, type Reorder } from './entity-workspace.js';
import { useDraft } from './use-draft.js';

/** What the editor of the entity named in the URL receives. */
export interface EditorSlot<T> {
  readonly site: string;
  /** The URL's id (`'new'` for a new entity); also the editor's React key, so each entity starts fresh. */
  readonly id: string;
  readonly draft: WholeDraft;
  readonly current: T | undefined;
}

/**
 * The screen every draft kind shares: its entities listed with their worst lint severity, and the
 * editor of the one in the URL (`…/<kind>/<id>`, or `new`). Only the kind's own parts vary.
 */
export function DraftEntityPage<T>(props: {
  readonly title: string;
  /** The URL segment under the site, e.g. `fields`. */
  readonly kind: string;
  /** The lint entity whose findings mark the list; omitted for kinds the linter never names. */
  readonly lintEntity?: string;
  readonly select: (draft: WholeDraft) => readonly T[];
  readonly idOf: (item: T) => string;
  readonly labelOf: (item: T) => string;
  readonly editor: (slot: EditorSlot<T>) => ReactNode;
  readonly reorder?: Reorder;
}) {
  const { site = '', id } = useParams();
  const draft = useDraft(site);
  const items = draft.data === undefined ? [] : props.select(draft.data.draft);
  const current = items.find((item) => props.idOf(item) === id);
  return (
    <Page title={props.title}>
      {draft.isPending ? <Loading /> : null}
      {draft.error ? <ErrorNotice error={draft.error} /> : null}
      {draft.data === undefined ? null : (
        <EntityWorkspace
          basePath={`/sites/${site}/${props.kind}`}
          listLabel={props.title}
          reorder={props.reorder}
          items={items.map((item) => {
            const itemId = props.idOf(item);
            const severity =
              props.lintEntity === undefined ? undefined : worstSeverity(draft.data.findings, props.lintEntity, itemId);
            return { id: itemId, label: props.labelOf(item), ...(severity === undefined ? {} : { severity }) };
          })}
        >
          {id === undefined || (id !== 'new' && current === undefined)
            ? null
            : props.editor({ site, id, draft: draft.data.draft, current })}
        </EntityWorkspace>
      )}
    </Page>
  );
}
