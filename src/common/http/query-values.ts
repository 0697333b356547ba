/** class-transformer transforms for query strings, where every value arrives as text. */

/** "true" / "false" as booleans; an empty value as absent; anything else left for the validator to refuse. */
export const queryBoolean = ({ value }: { value: unknown }) =>
  value === '' ? undefined : value === 'true' || value === true ? true : value === 'false' || value === false ? false : value;

/** An empty value as absent. */
export const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);
