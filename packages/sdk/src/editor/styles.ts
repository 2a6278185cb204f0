/** The editor's own styles, inside its shadow root (the page's CSS does not reach in, nor this out). */
export const EDITOR_STYLES = `
:host{all:initial}
.highlight{position:fixed;pointer-events:none;outline:2px solid #2563eb;background:rgba(37,99,235,.08);z-index:2147483646;display:none}
.panel{position:fixed;top:0;right:0;bottom:0;width:340px;overflow:auto;z-index:2147483647;background:#fff;color:#111;font:14px/1.4 system-ui,sans-serif;border-left:1px solid #ccc;padding:12px;box-shadow:-4px 0 16px rgba(0,0,0,.12);box-sizing:border-box}
header{display:flex;justify-content:space-between;align-items:center;margin-bottom:8px}
label{display:block;margin:6px 0}
label.check{display:flex;gap:6px;align-items:center}
input,textarea,select{display:block;width:100%;box-sizing:border-box;font:inherit;margin-top:2px}
label.check input{width:auto;display:inline}
textarea{min-height:4em}
code{font:12px ui-monospace,monospace;background:#f3f4f6;padding:1px 4px;word-break:break-all}
button{font:inherit;padding:4px 8px;margin:2px;border:1px solid #999;border-radius:4px;background:#f9fafb;cursor:pointer}
button.primary{background:#2563eb;color:#fff;border-color:#2563eb}
button[disabled]{opacity:.5;cursor:default}
.row,.actions{display:flex;flex-wrap:wrap;gap:2px;margin:6px 0}
.hint{color:#555;font-size:13px}
.warning{color:#92400e;background:#fef3c7;padding:4px 6px}
.error{color:#991b1b}
p.warning,p.error{margin:4px 0}
h3{font-size:13px;margin:10px 0 4px}
.why{background:#f0f9ff;padding:6px}
`;
