import { useNavigate } from 'react-router';
import { useI18n } from '../../i18n/i18n.js';
import { SAVED_STATE } from './editor-actions.js';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DraftKind } from '@candor/schema';
import { useApi } from '../../api/api-context.js';
import type { DraftOf } from '../../api/endpoints.js';

/** The site's whole draft with its lint findings (one request for every editor). */
export function useDraft(site: string) {
  const api = useApi();
  return useQuery({ queryKey: ['draft', site], queryFn: () => api.wholeDraft(site) });
}

/** Saves one entity (deleting the old id when it was renamed) and refreshes the draft. */
export function useSaveDraft<K extends DraftKind>(site: string, kind: K) {
  const api = useApi();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: async ({
      entity,
      id,
      previousId,
    }: {
      entity: DraftOf<K>;
      id: string;
      previousId: string | undefined;
    }) => {
      const saved = await api.putDraft(site, kind, id, entity);
      if (previousId !== undefined && previousId !== id) await api.deleteDraft(site, kind, previousId);
      return saved;
    },
    onSuccess: () => queries.invalidateQueries({ queryKey: ['draft', site] }),
  });
}

/** Saves the experiences' priority order (the first experience per slot wins) and refreshes the draft. */
export function useExperienceOrder(site: string) {
  const api = useApi();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (ids: readonly string[]) => api.setExperienceOrder(site, ids),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['draft', site] }),
  });
}

/** Deletes one entity and refreshes the draft. */
export function useDeleteDraft(site: string, kind: DraftKind) {
  const api = useApi();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.deleteDraft(site, kind, id),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['draft', site] }),
  });
}

/**
 * Deleting the entity being edited, as every editor offers it: ask first, then return to the
 * kind's list. `confirmAndDelete(undefined)` is no action, for an entity not saved yet.
 */
export function useDeleteEntity(site: string, kind: DraftKind) {
  const remove = useDeleteDraft(site, kind);
  const navigate = useNavigate();
  const { t } = useI18n();
  const confirmAndDelete = (id: string | undefined): (() => void) | undefined =>
    id === undefined
      ? undefined
      : () => {
          if (window.confirm(t('common.confirmDelete', { id })))
            remove.mutate(id, { onSuccess: () => void navigate(`/sites/${site}/${kind}`) });
        };
  return { remove, confirmAndDelete };
}

/**
 * Saving the entity being edited, as every editor does: store it (renames delete the old id),
 * then show it at its own URL with the "saved" notice.
 */
export function useSaveEntity<K extends DraftKind>(site: string, kind: K) {
  const save = useSaveDraft(site, kind);
  const navigate = useNavigate();
  const saveAndShow = (entity: DraftOf<K>, id: string, previousId: string | undefined): void =>
    save.mutate(
      { entity, id, previousId },
      {
        onSuccess: () =>
          void navigate(`/sites/${site}/${kind}/${encodeURIComponent(id)}`, { replace: true, state: SAVED_STATE }),
      },
    );
  return { save, saveAndShow };
}
