/** The UI's stylesheet: one source, applied without inline style attributes (strict-CSP safe). */
export const UI_CSS = `
.candor-layer{position:fixed;inset:0;z-index:2147483001;display:flex;align-items:flex-end;justify-content:center;pointer-events:none}
.candor-modal{background:rgba(0,0,0,.45);align-items:center;pointer-events:auto}
.candor-panel{pointer-events:auto;box-sizing:border-box;max-width:36rem;width:calc(100% - 16px);max-height:calc(100% - 16px);overflow:auto;margin:8px;padding:16px 20px;background:#fff;color:#111;border-radius:8px;box-shadow:0 4px 24px rgba(0,0,0,.3);font:15px/1.45 system-ui,sans-serif}
.candor-head{display:flex;justify-content:space-between;align-items:flex-start;gap:8px}
.candor-title{font-size:1.15em;margin:0 0 8px}
.candor-body p{margin:.4em 0}
.candor-body ul{margin:.4em 0;padding-left:1.2em}
.candor-row{display:flex;flex-wrap:wrap;gap:8px;margin-top:12px}
.candor-btn{font:inherit;font-size:15px;min-width:9em;padding:8px 14px;border:2px solid #1f2937;border-radius:6px;background:#fff;color:#1f2937;cursor:pointer}
.candor-btn:focus-visible,.candor-panel input:focus-visible,.candor-panel a:focus-visible{outline:3px solid #1a56db;outline-offset:2px}
.candor-close{min-width:0;padding:2px 10px;font-size:20px;line-height:1;border-color:transparent}
.candor-purpose{display:block;margin:8px 0;padding:8px;border:1px solid #d1d5db;border-radius:6px}
.candor-purpose small{display:block;color:#374151}
.candor-notice{padding:8px;border-left:4px solid #047857;background:#ecfdf5;margin:8px 0}
.candor-table{border-collapse:collapse;width:100%;font-size:13px}
.candor-table th,.candor-table td{border-bottom:1px solid #e5e7eb;padding:4px;text-align:left;vertical-align:top;word-break:break-word}
.candor-status{color:#065f46}
.candor-status:empty{margin:0}
.candor-badge{font:13px/1.4 system-ui,sans-serif;border:1px solid #d1d5db;border-radius:6px;padding:8px 12px}
.candor-badge ul{margin:4px 0;padding-left:1.2em}
`;
