// A small React shop for the editor journey: the server renders it with react-dom/server and the
// browser hydrates that HTML, then a button re-renders the component the marketer changed.
import { createElement, useEffect, useState } from 'react';

export const DEAL_TEXT = 'Today only: free shipping';

export function DealShop() {
  const [clicks, setClicks] = useState(0);
  useEffect(() => {
    (window as unknown as { __hydrated: boolean }).__hydrated = true;
  }, []);
  return createElement(
    'main',
    null,
    createElement('h2', { id: 'deal' }, DEAL_TEXT),
    createElement(
      'button',
      { id: 'more', type: 'button', onClick: () => setClicks((n) => n + 1) },
      `Clicked ${clicks}`,
    ),
  );
}
