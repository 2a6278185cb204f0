// The lazily loaded consent-source adapters as a classic script (`candor-consent.js`), loaded only
// when a page declares `data-consent-source`; like the UI chunk it hands its module over in an event.
import { connect } from './consent-sources/connect-source.js';
import { CONSENT_SOURCES_EVENT } from './consent-sources/contract.js';

document.dispatchEvent(new CustomEvent(CONSENT_SOURCES_EVENT, { detail: { connect } }));
