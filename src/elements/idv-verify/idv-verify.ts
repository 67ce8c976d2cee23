import { IdvVerify } from './idv-verify.component.js';

export { IdvVerify };

if (!customElements.get('idv-verify')) customElements.define('idv-verify', IdvVerify);

declare global {
  interface HTMLElementTagNameMap {
    'idv-verify': IdvVerify;
  }
}
