/** `<idv-message>`: a full screen of text with an optional progress bar and one action. */
import { css, html, nothing } from 'lit';
import { IdvElement } from '../base/idv-element.js';
import { themeStyles } from '../base/theme.js';

export const MESSAGE_ACTION = 'idv-message-action';

export class IdvMessage extends IdvElement {
  static override styles = [
    themeStyles,
    css`
      :host {
        text-align: center;
        padding-block: 2rem;
      }
      progress {
        inline-size: 100%;
        block-size: 0.6rem;
        accent-color: var(--_accent);
      }
      .spinner {
        inline-size: 2.5rem;
        block-size: 2.5rem;
        margin: 0 auto 1.5rem;
        border-radius: 50%;
        border: 4px solid #d7dbe3;
        border-block-start-color: var(--_accent);
        animation: spin 0.9s linear infinite;
      }
      @keyframes spin {
        to {
          transform: rotate(360deg);
        }
      }
      @media (prefers-reduced-motion: reduce) {
        .spinner {
          animation: none;
        }
      }
    `,
  ];
  static override properties = {
    heading: {},
    text: {},
    progress: { type: Number },
    busy: { type: Boolean },
    action: {},
  };

  heading = '';
  text = '';
  /** 0…1 to show a progress bar; negative for none. */
  progress = -1;
  busy = false;
  /** Label of the single action button; none when empty. */
  action = '';

  override render() {
    return html`
      ${this.busy ? html`<div class="spinner" aria-hidden="true"></div>` : nothing}
      <h1>${this.heading}</h1>
      ${this.text ? html`<p>${this.text}</p>` : nothing}
      ${
        this.progress >= 0
          ? html`<progress
              part="progress"
              max="100"
              .value=${Math.round(this.progress * 100)}
              aria-label=${this.heading}
            ></progress>`
          : nothing
      }
      ${
        this.action
          ? html`<div class="actions">
              <button class="primary" @click=${() => this.dispatchEvent(new Event(MESSAGE_ACTION))}>
                ${this.action}
              </button>
            </div>`
          : nothing
      }
    `;
  }
}
