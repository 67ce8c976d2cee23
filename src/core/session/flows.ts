/**
 * Verification flows and the images each one needs. Shared by the service (what to ask for, what is
 * missing) and the widget (which steps to show), so the two can never disagree.
 */

export const FLOWS = ['liveness', 'liveness+facematch', 'liveness+facematch+document', 'document'] as const;
export type Flow = (typeof FLOWS)[number];

export const IMAGE_KINDS = [
  'selfie',
  'document_front',
  'document_back',
  'passport',
  'liveness_frame',
] as const;
export type ImageKind = (typeof IMAGE_KINDS)[number];

/**
 * A requirement is met by any one of its alternatives; an alternative needs all of its kinds.
 * An identity document is either an ID card (front and back) or a passport data page.
 */
export interface Requirement {
  name: 'selfie' | 'identity_document';
  alternatives: readonly (readonly ImageKind[])[];
}

const SELFIE: Requirement = { name: 'selfie', alternatives: [['selfie']] };
const IDENTITY_DOCUMENT: Requirement = {
  name: 'identity_document',
  alternatives: [['document_front', 'document_back'], ['passport']],
};

const REQUIREMENTS: Record<Flow, readonly Requirement[]> = {
  liveness: [SELFIE],
  // The face to match against comes from the integrator (a reference image), not from this capture.
  'liveness+facematch': [SELFIE],
  'liveness+facematch+document': [SELFIE, IDENTITY_DOCUMENT],
  document: [IDENTITY_DOCUMENT],
};

export function requirementsOf(flow: Flow): readonly Requirement[] {
  return REQUIREMENTS[flow];
}

/** Kinds the intake takes for a flow: every kind named by any alternative, plus liveness frames for face flows. */
export function acceptedKinds(flow: Flow): ImageKind[] {
  const kinds = new Set<ImageKind>();
  for (const requirement of REQUIREMENTS[flow]) {
    for (const alternative of requirement.alternatives) for (const kind of alternative) kinds.add(kind);
  }
  if (flow !== 'document') kinds.add('liveness_frame');
  return IMAGE_KINDS.filter((kind) => kinds.has(kind));
}

/**
 * The kinds still missing, given the kinds already accepted. For a requirement with alternatives, the
 * person is asked to finish the alternative they started; with nothing started, the first alternative
 * is listed (the widget offers the others as choices).
 */
export function missingImages(flow: Flow, accepted: Iterable<ImageKind>): ImageKind[] {
  const have = new Set(accepted);
  const missing: ImageKind[] = [];
  for (const requirement of REQUIREMENTS[flow]) {
    if (requirement.alternatives.some((alt) => alt.every((kind) => have.has(kind)))) continue;
    const started = requirement.alternatives.find((alt) => alt.some((kind) => have.has(kind)));
    const target = started ?? requirement.alternatives[0] ?? [];
    missing.push(...target.filter((kind) => !have.has(kind)));
  }
  return missing;
}
