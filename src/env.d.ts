/// <reference types="vite/client" />
import type { FulcrumApi } from '@shared/api-contract'

declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}

declare global {
  interface Window {
    /** Present in the desktop app only: the preload's verbs. Browser mode talks HTTP instead. */
    fulcrum?: FulcrumApi
  }
}
