import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../api/api-context.js';

/**
 * The origins a site allows (its settings' `allowedOrigins`): an absolute redirect target must be on
 * one of them. Until the settings load, none (the stricter form: only same-site paths pass).
 */
export function useSiteOrigins(site: string): readonly string[] {
  const api = useApi();
  const sites = useQuery({ queryKey: ['sites'], queryFn: api.listSites });
  return sites.data?.find((item) => item.siteKey === site)?.settings.allowedOrigins ?? [];
}
