// The client bundle of the React suite's page: hydrates the server's HTML with the server's data.
import { createElement } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { ReactShop, type ShopData } from './react-shop.js';

const data = JSON.parse(document.getElementById('shop-data')?.textContent ?? '{}') as ShopData;
hydrateRoot(document.getElementById('root') as HTMLElement, createElement(ReactShop, data));
