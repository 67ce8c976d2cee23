import { css } from 'lit';

export const verifyStyles = css`
  :host {
    max-inline-size: 30rem;
    margin-inline: auto;
    padding: 1.25rem 1rem 2rem;
    box-sizing: border-box;
  }
  .notice {
    padding: 0.75rem 1rem;
    border-radius: var(--_radius);
    background: #fff4e5;
    color: #7a2e0e;
  }
`;
