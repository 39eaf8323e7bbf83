export * from './database'
export * from './book-repository'
export { LATEST_SCHEMA_VERSION } from './migrations'
