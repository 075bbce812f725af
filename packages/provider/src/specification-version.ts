/**
 * The version of this specification. A provider package built against it may report it as
 * `specificationVersion`; the registry refuses packages built for a version it does not know.
 */
export const specificationVersion = 'v1' as const;
export type SpecificationVersion = typeof specificationVersion;
