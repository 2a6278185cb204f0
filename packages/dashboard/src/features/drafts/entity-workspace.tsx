import type { ReactNode } from 'react';
import { NavLink } from 'react-router';
import { useI18n } from '../../i18n/i18n.js';
import { moveItem } from './move-item.js';

/** One entity in the list beside the editor. */
export interface EntityItem {
  readonly id: string;
  readonly label: string;
  /** Lint severity to show beside it, if any. */
  readonly severity?: 'error' | 'warning' | undefined;
}

/** Reordering the list, for kinds whose order means something (experiences: priority). */
export interface Reorder {
  /** Said above the list: what the order means. */
  readonly hint: string;
  /** Called with every id in the new order. */
  readonly onReorder: (ids: readonly string[]) => void;
  readonly busy: boolean;
}

/** A list of entities (links) beside the editor of the selected one. */
export function EntityWorkspace({
  basePath,
  items,
  listLabel,
  reorder,
  children,
}: {
  readonly basePath: string;
  readonly items: readonly EntityItem[];
  readonly listLabel: string;
  readonly reorder?: Reorder | undefined;
  readonly children: ReactNode;
}) {
  const { t } = useI18n();
  const ids = items.map((item) => item.id);
  const moveButton = (index: number, delta: -1 | 1, label: string) => {
    const moved = moveItem(ids, index, delta);
    return (
      <button
        type="button"
        className="icon-button"
        aria-label={t(delta < 0 ? 'common.moveUp' : 'common.moveDown', { name: label })}
        disabled={reorder?.busy === true || moved === ids}
        onClick={() => reorder?.onReorder(moved)}
      >
        {delta < 0 ? '↑' : '↓'}
      </button>
    );
  };
  return (
    <div className="workspace">
      <nav aria-label={listLabel} className="entity-list">
        <NavLink to={`${basePath}/new`} className="new-link">
          + {t('common.new')}
        </NavLink>
        {reorder === undefined ? null : <p className="hint">{reorder.hint}</p>}
        <ul>
          {items.map((item, index) => (
            <li key={item.id} className={reorder === undefined ? undefined : 'reorderable'}>
              <NavLink to={`${basePath}/${encodeURIComponent(item.id)}`}>
                {item.label} <code>{item.id}</code>
                {item.severity === undefined ? null : (
                  <span className={`badge badge-${item.severity}`}>{item.severity}</span>
                )}
              </NavLink>
              {reorder === undefined ? null : (
                <span className="move">
                  {moveButton(index, -1, item.label)}
                  {moveButton(index, 1, item.label)}
                </span>
              )}
            </li>
          ))}
        </ul>
      </nav>
      <div className="editor">{children}</div>
    </div>
  );
}

/** The worst severity among findings about one entity. */
export function worstSeverity(
  findings: readonly { severity: 'error' | 'warning'; location: { entity: string; id: string } }[],
  entity: string,
  id: string,
): 'error' | 'warning' | undefined {
  const mine = findings.filter((finding) => finding.location.entity === entity && finding.location.id === id);
  if (mine.some((finding) => finding.severity === 'error')) return 'error';
  return mine.length > 0 ? 'warning' : undefined;
}

/** Turns zod issues into `path → message` for showing beside inputs. */
export function issueMap(issues: readonly { path: readonly PropertyKey[]; message: string }[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const issue of issues) map[issue.path.map(String).join('.')] ??= issue.message;
  return map;
}
