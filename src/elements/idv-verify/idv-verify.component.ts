/**
 * `<idv-verify>`: the root of the capture widget. Given a session id, a client token (property, or an
 * attribute that is read once and removed) and the API base, it exchanges the token, then drives the
 * flow of src/core/flow: it renders each state and performs the effect the state asks for. Tokens stay
 * in private fields: never in attributes after start, events, URLs or logs.
 */
import { html, type TemplateResult } from 'lit';
import { msg } from '@lit/localize';
import {
  failureFromCode,
  INITIAL_STATE,
  transition,
  type CapturedImage,
  type FlowEvent,
  type FlowState,
} from '../../core/flow/capture-flow.js';
import {
  ClientApiError,
  completeCapture,
  exchangeClientToken,
  recordConsent,
} from '../../core/session/client.js';
import { intakeUrl, uploadImage } from '../../core/session/upload.js';
import { xhrTransport } from '../../core/session/xhr-transport.js';
import { startFaceVision } from '../../vision/face/face-vision-preload.js';
import { IdvElement } from '../base/idv-element.js';
import { failureText } from '../base/strings.js';
import { themeStyles } from '../base/theme.js';
// The template listens to the children's internal events by their literal names (Lit binds event names
// statically): idv-consent-given/-declined, idv-selfie-captured, idv-review-confirm/-retake, idv-message-action.
import '../idv-consent/idv-consent.js';
import '../idv-message/idv-message.js';
import '../idv-review/idv-review.js';
import '../idv-selfie-capture/idv-selfie-capture.js';
import { verifyStyles } from './idv-verify.styles.js';

export type RedirectMode = 'auto' | 'none';

export class IdvVerify extends IdvElement {
  static override styles = [themeStyles, verifyStyles];
  static override properties = {
    sessionId: { attribute: 'session-id' },
    apiBase: { attribute: 'api-base' },
    redirect: {},
    state: { state: true },
    consenting: { state: true },
    notice: { state: true },
  };

  sessionId = '';
  /** Origin of the session service; this page's origin when empty. */
  apiBase = '';
  /** `auto`: send the top-level page to the callback when done (or tell the parent frame). */
  redirect: RedirectMode = 'auto';
  state: FlowState = INITIAL_STATE;
  consenting = false;
  /** A passing problem to show above the current step (the step itself stays). */
  notice = '';

  #clientToken: string | null = null;
  #uploadToken: string | null = null;
  #started = false;

  /** Write-only: the single-use client token from the integrator's backend ('' when the link had none). */
  set clientToken(token: string | null) {
    if (token === '') {
      this.dispatch({ type: 'failed', reason: 'link_invalid' });
      return;
    }
    this.#clientToken = token;
    if (this.isConnected) void this.start();
  }

  private get base(): string {
    return this.apiBase || window.location.origin;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const attribute = this.getAttribute('client-token');
    if (attribute) {
      this.#clientToken = attribute;
      this.removeAttribute('client-token');
    }
    void this.start();
  }

  private async start(): Promise<void> {
    const token = this.#clientToken;
    if (this.#started || !token) return;
    this.#started = true;
    this.#clientToken = null;
    try {
      const exchange = await exchangeClientToken(this.base, token);
      this.#uploadToken = exchange.uploadToken;
      this.sessionId ||= exchange.sessionId;
      const { missingImages, consentGiven } = exchange.requirements;
      this.emit('idv-ready', { sessionId: this.sessionId, missingImages });
      this.dispatch({ type: 'exchanged', missing: missingImages, consentGiven });
    } catch (error) {
      // The token was not used up if the service was never reached: keep it for "Try again".
      if (error instanceof ClientApiError && error.code === 'network_error') this.#clientToken = token;
      // A token the service cannot even parse is a broken link, like an unknown one.
      if (error instanceof ClientApiError && error.status === 400)
        this.dispatch({ type: 'failed', reason: 'link_invalid' });
      else this.fail(error);
    }
  }

  /** "Try again" after a failed start: only possible while the client token is still unused. */
  private retryStart(): void {
    if (!this.#clientToken) return;
    this.#started = false;
    this.state = INITIAL_STATE;
    void this.start();
  }

  private dispatch(event: FlowEvent): void {
    const previous = this.state;
    const next = transition(previous, event);
    if (next === previous) return;
    this.state = next;
    if (next.step === previous.step) return;
    this.emit('idv-step', { step: next.step, ...('kind' in next ? { kind: next.kind } : {}) });
    void this.enter(next);
  }

  private fail(error: unknown): void {
    const code = error instanceof ClientApiError ? error.code : 'unknown';
    this.dispatch({ type: 'failed', reason: failureFromCode(code) });
  }

  /** The effect each state asks for. */
  private async enter(state: FlowState): Promise<void> {
    switch (state.step) {
      case 'uploading':
        return this.upload(state.image);
      case 'completing':
        return this.complete();
      case 'done':
        return this.finish(state.redirectUrl);
      case 'cancelled':
        return this.cancelled();
      case 'failed':
        this.emit('idv-error', { reason: state.reason });
        return;
      default:
        return;
    }
  }

  private async consent(): Promise<void> {
    if (!this.#uploadToken) return;
    this.consenting = true;
    this.notice = '';
    // The selfie step's models load while consent is recorded and the camera prompt opens.
    if (this.state.step === 'consent' && this.state.missing[0] === 'selfie') void startFaceVision();
    try {
      await recordConsent(this.base, this.#uploadToken);
      this.dispatch({ type: 'consented' });
    } catch (error) {
      if (error instanceof ClientApiError && error.code === 'network_error')
        this.notice = msg('We could not reach the service. Check your connection and try again.');
      else this.fail(error);
    } finally {
      this.consenting = false;
    }
  }

  private async upload(image: CapturedImage): Promise<void> {
    const uploadToken = this.#uploadToken;
    if (!uploadToken) return;
    try {
      const result = await uploadImage(
        {
          url: intakeUrl(this.base, image.kind),
          uploadToken,
          body: image.blob,
          idempotencyKey: image.captureId,
          metrics: image.metrics,
        },
        {
          transport: xhrTransport,
          onProgress: (fraction) => {
            this.dispatch({ type: 'progress', fraction });
            this.emit('idv-upload-progress', { kind: image.kind, fraction, retrying: false });
          },
          onRetry: () => {
            this.dispatch({ type: 'retrying' });
            this.emit('idv-upload-progress', { kind: image.kind, fraction: 0, retrying: true });
          },
        },
      );
      this.dispatch({
        type: 'uploaded',
        accepted: result.accepted,
        feedback: result.feedback.filter((item) => item.severity === 'error'),
        missing: result.missingImages,
      });
    } catch (error) {
      if (error instanceof ClientApiError && error.code === 'network_error')
        this.dispatch({ type: 'upload_failed' });
      else this.fail(error);
    }
  }

  private async complete(): Promise<void> {
    if (!this.#uploadToken) return;
    try {
      const { redirectUrl } = await completeCapture(this.base, this.#uploadToken);
      this.dispatch({ type: 'completed', redirectUrl });
    } catch (error) {
      this.fail(error);
    }
  }

  private finish(redirectUrl: string | null): void {
    const proceed = this.emit(
      'idv-complete',
      { sessionId: this.sessionId, redirectUrl },
      { cancelable: true },
    );
    if (!proceed || this.redirect !== 'auto' || !redirectUrl) return;
    if (window.top === window.self) {
      window.location.assign(redirectUrl);
    } else {
      // Framed: the integrator's page decides; only the callback's own origin may read the message.
      window.parent.postMessage(
        { type: 'idv:complete', sessionId: this.sessionId, redirectUrl },
        new URL(redirectUrl).origin,
      );
    }
  }

  /** The person said "Not now": the integrator's page hears it; the session stays open to come back to. */
  private cancelled(): void {
    this.emit('idv-cancel', { sessionId: this.sessionId });
    if (window.top === window.self) return;
    // Framed: the hosted page's CSP (frame-ancestors) already holds the parent to an allowed origin; the
    // message goes to that origin only, as the browser reports it.
    const parentOrigin = window.location.ancestorOrigins?.[0] ?? originOf(document.referrer);
    if (parentOrigin)
      window.parent.postMessage({ type: 'idv:cancel', sessionId: this.sessionId }, parentOrigin);
  }

  override render(): TemplateResult {
    const state = this.state;
    switch (state.step) {
      case 'starting':
        return html`<idv-message busy heading=${msg('Opening your verification…')}></idv-message>`;
      case 'consent':
        return html`${this.notice ? html`<p class="notice" role="alert">${this.notice}</p>` : null}
          <idv-consent
            ?busy=${this.consenting}
            @idv-consent-given=${() => void this.consent()}
            @idv-consent-declined=${() => this.dispatch({ type: 'declined' })}
          ></idv-consent>`;
      case 'cancelled':
        return html`<idv-message
          data-step="cancelled"
          heading=${msg('Verification not started')}
          text=${msg('No photo was taken. You can close this page, or start again when you are ready.')}
          action=${msg('Start again')}
          @idv-message-action=${() => this.dispatch({ type: 'resume' })}
        ></idv-message>`;
      case 'capture':
        return html`<idv-selfie-capture
          .feedback=${state.feedback}
          @idv-selfie-captured=${(event: CustomEvent<CapturedImage>) => this.dispatch({ type: 'captured', image: event.detail })}
        ></idv-selfie-capture>`;
      case 'review':
        return html`
          ${
            state.uploadFailed
              ? html`<p class="notice" role="alert">
                  ${msg('The upload did not get through. Check your connection and send it again.')}
                </p>`
              : null
          }
          <idv-review
            .image=${state.image.blob}
            @idv-review-confirm=${() => this.dispatch({ type: 'confirm' })}
            @idv-review-retake=${() => this.dispatch({ type: 'retake' })}
          ></idv-review>
        `;
      case 'uploading':
        return html`<idv-message
          heading=${msg('Sending your photo…')}
          text=${state.retrying ? msg('The connection dropped. Trying again…') : ''}
          .progress=${state.progress}
        ></idv-message>`;
      case 'completing':
        return html`<idv-message busy heading=${msg('Finishing…')}></idv-message>`;
      case 'done':
        return html`<idv-message
          heading=${msg('All done')}
          text=${state.redirectUrl ? msg('Taking you back…') : msg('Thank you. You can close this page.')}
        ></idv-message>`;
      case 'failed': {
        const { title, text } = failureText(state.reason);
        return html`<idv-message
          data-reason=${state.reason}
          heading=${title}
          text=${text}
          action=${this.#clientToken ? msg('Try again') : ''}
          @idv-message-action=${() => this.retryStart()}
        ></idv-message>`;
      }
    }
  }
}

function originOf(url: string): string | null {
  try {
    return url ? new URL(url).origin : null;
  } catch {
    return null;
  }
}
