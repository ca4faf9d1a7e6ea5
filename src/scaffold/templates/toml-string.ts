/** A TOML basic string. JSON's escapes (\" \\ \b \f \n \r \t \uXXXX) are all valid TOML escapes. */
export function tomlString(value: string): string {
  return JSON.stringify(value);
}
