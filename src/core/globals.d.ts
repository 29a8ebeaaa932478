/**
 * Globals every host of the core has (browsers, workers, Node 17+) but the ES2022 library the
 * core is checked against does not declare, since it sees neither DOM nor Node.
 */
declare function structuredClone<T>(value: T): T;
