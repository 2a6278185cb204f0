// The browser side of the journey's React shop: hydrates the server's HTML.
import { createElement } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { DealShop } from './journey-react-app.js';

hydrateRoot(document.getElementById('root') as HTMLElement, createElement(DealShop));
