import { IdvConsent } from './idv-consent.component.js';

export { IdvConsent };

if (!customElements.get('idv-consent')) customElements.define('idv-consent', IdvConsent);

declare global {
  interface HTMLElementTagNameMap {
    'idv-consent': IdvConsent;
  }
}
