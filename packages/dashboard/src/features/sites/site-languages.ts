import { Language, siteLanguages } from '@candor/schema';
import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../api/api-context.js';

/**
 * The languages a site writes its texts in, default first: the forms ask for text in these only.
 * Until the site's settings load, every language (the stricter form).
 */
export function useSiteLanguages(site: string): readonly (typeof Language.options)[number][] {
  const api = useApi();
  const sites = useQuery({ queryKey: ['sites'], queryFn: api.listSites });
  const settings = sites.data?.find((item) => item.siteKey === site)?.settings;
  return settings === undefined ? Language.options : siteLanguages(settings);
}
