import { IdvMessage } from './idv-message.component.js';

export { IdvMessage };

if (!customElements.get('idv-message')) customElements.define('idv-message', IdvMessage);

declare global {
  interface HTMLElementTagNameMap {
    'idv-message': IdvMessage;
  }
}
