/**
 * `<idv-consent>`: what will happen and explicit consent to process a face picture (biometric data).
 * Nothing is captured before the person agrees; the agreement is recorded on the session.
 */
import { css, html } from 'lit';
import { msg } from '@lit/localize';
import { IdvElement } from '../base/idv-element.js';
import { themeStyles } from '../base/theme.js';

export const CONSENT_GIVEN = 'idv-consent-given';
export const CONSENT_DECLINED = 'idv-consent-declined';

export class IdvConsent extends IdvElement {
  static override styles = [
    themeStyles,
    css`
      ol {
        padding-inline-start: 1.25rem;
        line-height: 1.6;
        margin-block: 0 1rem;
      }
      label {
        display: flex;
        gap: 0.75rem;
        align-items: flex-start;
        line-height: 1.5;
        cursor: pointer;
      }
      input {
        inline-size: 1.4rem;
        block-size: 1.4rem;
        flex: none;
        margin: 0.1rem 0 0;
        accent-color: var(--_accent);
      }
    `,
  ];
  static override properties = { agreed: { state: true }, busy: { type: Boolean } };

  agreed = false;
  busy = false;

  override render() {
    return html`
      <h1>${msg('Verify your identity')}</h1>
      <p>${msg('It takes about a minute. You will need:')}</p>
      <ol>
        <li>${msg('Your face, in good light')}</li>
        <li>${msg('Access to this device’s camera')}</li>
      </ol>
      <label>
        <input
          type="checkbox"
          .checked=${this.agreed}
          @change=${(e: Event) => (this.agreed = (e.target as HTMLInputElement).checked)}
        />
        <span>
          ${msg(
            'I agree that a photo of my face is taken and processed to verify my identity. It is used only for this verification.',
          )}
        </span>
      </label>
      <div class="actions">
        <button
          class="primary"
          ?disabled=${!this.agreed || this.busy}
          @click=${() => this.dispatchEvent(new Event(CONSENT_GIVEN))}
        >
          ${msg('Continue')}
        </button>
        <button
          class="secondary"
          ?disabled=${this.busy}
          @click=${() => this.dispatchEvent(new Event(CONSENT_DECLINED))}
        >
          ${msg('Not now')}
        </button>
      </div>
    `;
  }
}
