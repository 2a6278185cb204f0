// The lazily loaded UI as a classic script (`candor-ui.js`): it hands its module to the head part in
// an event, never through a window property that variant HTML could clobber.
import { UI_EVENT } from './ui-contract.js';
import { ui } from './ui/index.js';

document.dispatchEvent(new CustomEvent(UI_EVENT, { detail: ui }));
