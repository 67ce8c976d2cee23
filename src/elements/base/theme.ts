import { css } from 'lit';

/**
 * Shared look of the capture elements, from global tokens a host page may override
 * (`--idv-color-*`, `--idv-radius-*`, `--idv-font-*`). Logical properties keep RTL layouts right.
 */
export const themeStyles = css`
  :host {
    --_accent: var(--idv-color-accent, #1f4fd8);
    --_on-accent: var(--idv-color-on-accent, #ffffff);
    --_text: var(--idv-color-text, #16181d);
    --_muted: var(--idv-color-muted, #525866);
    --_surface: var(--idv-color-surface, #ffffff);
    --_danger: var(--idv-color-danger, #b42318);
    --_radius: var(--idv-radius-m, 12px);
    font-family: var(--idv-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    color: var(--_text);
    display: block;
  }
  h1 {
    font-size: 1.4rem;
    line-height: 1.25;
    margin-block: 0 0.5rem;
  }
  p {
    line-height: 1.5;
    margin-block: 0 1rem;
    color: var(--_muted);
  }
  .actions {
    display: flex;
    flex-direction: column;
    gap: 0.75rem;
    margin-block-start: 1.5rem;
  }
  button {
    font: inherit;
    font-weight: 600;
    min-height: 48px;
    padding-inline: 1.25rem;
    border-radius: var(--_radius);
    border: 2px solid var(--_accent);
    cursor: pointer;
  }
  button.primary {
    background: var(--_accent);
    color: var(--_on-accent);
  }
  button.secondary {
    background: transparent;
    color: var(--_accent);
  }
  button:disabled {
    opacity: 0.5;
    cursor: default;
  }
  button:focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }
`;
