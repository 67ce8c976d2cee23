/** `<idv-review>`: the captured picture with "Use this photo" and "Retake". */
import { css, html } from 'lit';
import { msg } from '@lit/localize';
import { IdvElement } from '../base/idv-element.js';
import { themeStyles } from '../base/theme.js';

export const REVIEW_CONFIRM = 'idv-review-confirm';
export const REVIEW_RETAKE = 'idv-review-retake';

export class IdvReview extends IdvElement {
  static override styles = [
    themeStyles,
    css`
      img {
        display: block;
        inline-size: 100%;
        max-block-size: 55vh;
        object-fit: contain;
        border-radius: var(--_radius);
        background: #0b0d12;
        transform: scaleX(-1);
      }
    `,
  ];
  static override properties = { image: { attribute: false }, url: { state: true } };

  image: Blob | null = null;
  url: string | null = null;

  override willUpdate(): void {
    if (this.image && !this.url) this.url = URL.createObjectURL(this.image);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.url) URL.revokeObjectURL(this.url);
    this.url = null;
  }

  override render() {
    return html`
      <h1>${msg('Check your photo')}</h1>
      <p>${msg('Is your whole face clear, in focus and well lit?')}</p>
      ${this.url ? html`<img part="image" src=${this.url} alt=${msg('Your selfie')} />` : null}
      <div class="actions">
        <button class="primary" @click=${() => this.dispatchEvent(new Event(REVIEW_CONFIRM))}>
          ${msg('Use this photo')}
        </button>
        <button class="secondary" @click=${() => this.dispatchEvent(new Event(REVIEW_RETAKE))}>
          ${msg('Retake')}
        </button>
      </div>
    `;
  }
}
