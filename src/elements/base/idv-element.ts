import { LitElement } from 'lit';
import type { IdvEventDetails, IdvEventName } from './events.js';

/** Base of every capture element: one typed way out for events (bubbling, composed). */
export class IdvElement extends LitElement {
  emit<K extends IdvEventName>(
    name: K,
    detail: IdvEventDetails[K],
    options: { cancelable?: boolean } = {},
  ): boolean {
    return this.dispatchEvent(
      new CustomEvent(name, {
        detail,
        bubbles: true,
        composed: true,
        cancelable: options.cancelable ?? false,
      }),
    );
  }
}
