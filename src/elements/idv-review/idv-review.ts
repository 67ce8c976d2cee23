import { IdvReview } from './idv-review.component.js';

export { IdvReview };

if (!customElements.get('idv-review')) customElements.define('idv-review', IdvReview);

declare global {
  interface HTMLElementTagNameMap {
    'idv-review': IdvReview;
  }
}
