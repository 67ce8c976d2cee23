import { IdvSelfieCapture } from './idv-selfie-capture.component.js';

export { IdvSelfieCapture };

if (!customElements.get('idv-selfie-capture')) customElements.define('idv-selfie-capture', IdvSelfieCapture);

declare global {
  interface HTMLElementTagNameMap {
    'idv-selfie-capture': IdvSelfieCapture;
  }
}
