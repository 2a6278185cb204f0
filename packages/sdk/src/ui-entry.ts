// The lazily loaded UI as a classic script (`candor-ui.js`): it hands its module to the head part.
import { ui } from './ui/index.js';

(window as Window & { __candorUi?: typeof ui }).__candorUi = ui;
