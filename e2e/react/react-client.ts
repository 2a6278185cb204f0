// The client bundle of the React suite's page: starts the SDK as an app that also counts conversions
// would (`window.candor.track`), then hydrates the server's HTML with the server's data.
import { startCandor } from '@candor/sdk';
import { createElement } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { ReactShop, type ShopData } from './react-shop.js';

const data = JSON.parse(document.getElementById('shop-data')?.textContent ?? '{}') as ShopData;
const candor = startCandor({ ...data.options, language: data.language });
(window as unknown as { candor: typeof candor }).candor = candor;
hydrateRoot(document.getElementById('root') as HTMLElement, createElement(ReactShop, { ...data, candor }));
