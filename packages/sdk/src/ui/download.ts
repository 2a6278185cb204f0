import type { UiHost } from '../ui-contract.js';

/** Everything held about the visitor as one JSON document: device record, consent, server copy. */
export async function exportData(host: UiHost): Promise<unknown> {
  return {
    format: 'candor-device-export',
    formatVersion: 1,
    exportedAt: Date.now(),
    site: host.snapshot()?.site.siteKey ?? null,
    device: host.record(),
    consent: host.consent().state,
    consentHistory: host.consent().history,
    server: (await host.serverData()) ?? null,
  };
}

/** Downloads the export as `candor-my-data.json` through a blob URL (no inline script, CSP-safe). */
export function downloadJson(host: UiHost): void {
  void exportData(host).then((data) => {
    const doc = host.doc;
    const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const link = doc.createElement('a');
    link.href = url;
    link.download = 'candor-my-data.json';
    doc.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  });
}
