// The editor is for the site's marketers, not its visitors; it still speaks the dashboard's two
// languages, picked from the page's <html lang> (zh… → Traditional Chinese).

const TEXT = {
  en: {
    title: 'Candor visual editor',
    variant: 'Variant',
    hint: 'Hover to highlight, click to select an element.',
    selected: 'Selected',
    fragileLayout:
      'This selector depends on where the element sits in the page; give the element an id or a data-* attribute so the change keeps finding it after the page is edited.',
    fragileCount:
      'This selector matches {count} elements, not exactly one; give the element an id or a data-* attribute.',
    text: 'Change text',
    html: 'Change HTML',
    attribute: 'Attribute or link',
    hide: 'Hide',
    insertBefore: 'Insert before',
    insertAfter: 'Insert after',
    move: 'Move',
    image: 'Swap image',
    name: 'Attribute name',
    value: 'Value',
    source: 'Image URL',
    alt: 'Alternative text ({language})',
    inLanguage: 'Content ({language})',
    moveHint: 'Click the element to move it next to, then choose before or after.',
    before: 'Before',
    after: 'After',
    apply: 'Apply',
    cancel: 'Cancel',
    undo: 'Undo',
    redo: 'Redo',
    changes: 'Pending changes ({count})',
    remove: 'Remove',
    lint: 'Checks',
    noFindings: 'No findings.',
    preview: 'Preview as a visitor',
    language: 'Language',
    gpc: 'Browser sends Global Privacy Control',
    granted: 'Allows “{purpose}”',
    runPreview: 'Show what this visitor sees',
    noDecision: 'This visitor sees the page’s default content.',
    save: 'Save to draft',
    saved: 'Saved to the draft. Publish from the dashboard.',
    failed: 'Not saved: {message}',
    closed: 'The editor could not open: {message}',
    close: 'Close editor',
  },
  'zh-Hant': {
    title: 'Candor 視覺化編輯器',
    variant: '版本',
    hint: '將滑鼠移到元素上以醒目提示，點一下即可選取。',
    selected: '已選取',
    fragileLayout: '這個選擇器依賴元素在頁面中的位置；請為元素加上 id 或 data-* 屬性，讓頁面改版後變更仍能找到它。',
    fragileCount: '這個選擇器符合 {count} 個元素，而不是剛好一個；請為元素加上 id 或 data-* 屬性。',
    text: '變更文字',
    html: '變更 HTML',
    attribute: '屬性或連結',
    hide: '隱藏',
    insertBefore: '插入到前面',
    insertAfter: '插入到後面',
    move: '移動',
    image: '替換圖片',
    name: '屬性名稱',
    value: '值',
    source: '圖片網址',
    alt: '替代文字（{language}）',
    inLanguage: '內容（{language}）',
    moveHint: '點選要放在其旁邊的元素，再選擇前面或後面。',
    before: '前面',
    after: '後面',
    apply: '套用',
    cancel: '取消',
    undo: '復原',
    redo: '重做',
    changes: '待儲存的變更（{count}）',
    remove: '移除',
    lint: '檢查',
    noFindings: '沒有發現問題。',
    preview: '以訪客身分預覽',
    language: '語言',
    gpc: '瀏覽器傳送全球隱私控制（GPC）',
    granted: '允許「{purpose}」',
    runPreview: '顯示這位訪客看到的內容',
    noDecision: '這位訪客看到頁面的預設內容。',
    save: '儲存到草稿',
    saved: '已儲存到草稿。請在管理後台發布。',
    failed: '未儲存：{message}',
    closed: '無法開啟編輯器：{message}',
    close: '關閉編輯器',
  },
} as const;

/** One editor text. */
export type EditorTextKey = keyof (typeof TEXT)['en'];

/** The editor's language from the page's own `lang`. */
export function editorLanguage(lang: string): 'en' | 'zh-Hant' {
  return /^zh/i.test(lang) ? 'zh-Hant' : 'en';
}

/** A text in the language, with `{name}` parameters filled. */
export function editorText(
  language: 'en' | 'zh-Hant',
  key: EditorTextKey,
  values: Readonly<Record<string, string | number>> = {},
): string {
  return TEXT[language][key].replace(/\{(\w+)\}/g, (whole, name: string) => String(values[name] ?? whole));
}
