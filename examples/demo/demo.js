// The page's own script: the few lines a customer writes around Candor's public API
// (`candor.ask`, `candor.track`, `candor.openPreferences`). Loaded with the page's CSP nonce.
(() => {
  const candor = window.candor;
  const zh = document.documentElement.lang === 'zh-Hant';
  const text = zh
    ? {
        not_allowed: '請先在「隱私選擇」中開啟「個人化」，我們才會使用您的回答。',
        cooling_off: '您先前略過了這個問題，我們暫時不會再問。',
        limit_reached: '這次造訪已經問得夠多了。',
        skipped: '已略過，不影響您看到的內容。',
        answered: '謝謝！頁面已依您的回答調整；點選「為什麼？」查看原因。',
        unknown_field: '這個問題目前無法使用。',
        signup: '這是示範網站：沒有建立任何帳號。此點擊只以匯總方式計入（若您允許成效衡量）。',
        openPreferences: '開啟隱私選擇',
      }
    : {
        not_allowed: 'Turn on Personalization in Privacy choices first, so we may use your answer.',
        cooling_off: 'You skipped this question recently, so we will not ask again for a while.',
        limit_reached: 'That is enough questions for one visit.',
        skipped: 'Skipped. Nothing changes for you.',
        answered: 'Thanks! The page now fits your answer; press "Why?" to see how.',
        unknown_field: 'This question is not available right now.',
        signup:
          'This is a demo site: no account was created. The click is counted, in aggregate only, if you allow measurement.',
        openPreferences: 'Open Privacy choices',
      };
  if (!candor) return;

  const say = (target, message, withPreferences) => {
    if (!target) return;
    target.textContent = message;
    if (withPreferences) {
      const open = document.createElement('button');
      open.type = 'button';
      open.className = 'link-button';
      open.textContent = text.openPreferences;
      open.addEventListener('click', () => void candor.openPreferences());
      target.append(' ', open);
    }
  };

  const questionArea = document.getElementById('question-area');
  const questionStatus = document.getElementById('question-status');
  for (const button of document.querySelectorAll('[data-demo-ask]')) {
    button.addEventListener('click', async () => {
      if (questionArea.querySelector('form')) return;
      say(questionStatus, '');
      const result = await candor.ask(button.getAttribute('data-demo-ask'), questionArea);
      say(questionStatus, text[result.status] ?? '', result.status === 'not_allowed');
    });
  }

  const conversionStatus = document.getElementById('conversion-status');
  for (const element of document.querySelectorAll('[data-demo-convert]')) {
    element.addEventListener('click', (event) => {
      event.preventDefault();
      candor.track(element.getAttribute('data-demo-convert'));
      say(conversionStatus, text.signup);
    });
  }
})();
