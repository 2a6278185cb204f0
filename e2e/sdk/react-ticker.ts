// A React app that re-renders (and replaces) the element a page change targets every 16 ms, as a
// framework fighting Candor would; a text input shows whether the page stays responsive.
import { createElement, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';

function Ticker() {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), 16);
    return () => clearInterval(timer);
  }, []);
  (window as unknown as { __ticks: number }).__ticks = tick;
  // A new key each tick: React replaces the element, so Candor's change is gone every frame.
  return createElement('h2', { id: 'ticker', key: tick }, `Tick ${tick}`);
}

createRoot(document.getElementById('root') as HTMLElement).render(
  createElement('div', null, createElement(Ticker), createElement('input', { id: 'typing' })),
);
