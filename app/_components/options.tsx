/** One choice of a `<select>`: the value posted and the text shown. */
export type Option = { value: string; label: string };

/**
 * The `<option>`s of a select: an optional first, empty choice (`placeholder`: "Any place",
 * "Choose…", posted as '') and then `options` in the order given. Goes inside the page's own
 * `<select>`, which keeps its id, name, default and ARIA attributes. No hooks and no data access:
 * usable in server and client components.
 */
export function Options({ options, placeholder }: { options: readonly Option[]; placeholder?: string }) {
  return (
    <>
      {placeholder === undefined ? null : <option value="">{placeholder}</option>}
      {options.map((option) => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </>
  );
}
