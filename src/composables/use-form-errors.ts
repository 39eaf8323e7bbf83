/**
 * The errors of a form that the shared schema checks first and the backend checks again: both kinds
 * of issue land on the same fields, through the form's own path → field mapping.
 */
import { ref, type Ref } from 'vue'
import { ApiCallError } from '@/api'
import { formatPath } from '@shared/portfolio-document'

export interface FormErrors {
  errors: Ref<Record<string, string>>
  formError: Ref<string | null>
  saving: Ref<boolean>
  /** Field errors of a failed local parse (first message per field wins). */
  fromZod: (issues: readonly { path: readonly PropertyKey[]; message: string }[]) => Record<string, string>
  /** Runs the save; a backend rejection puts its issues (paths under `prefix`) on their fields. */
  save: <T>(prefix: string, run: () => Promise<T>) => Promise<T | undefined>
}

export function useFormErrors(fieldOf: (path: string) => string): FormErrors {
  const errors = ref<Record<string, string>>({})
  const formError = ref<string | null>(null)
  const saving = ref(false)

  const fromZod = (issues: readonly { path: readonly PropertyKey[]; message: string }[]): Record<string, string> => {
    const out: Record<string, string> = {}
    for (const issue of issues) out[fieldOf(formatPath(issue.path))] ??= issue.message
    return out
  }

  const save = async <T,>(prefix: string, run: () => Promise<T>): Promise<T | undefined> => {
    saving.value = true
    try {
      return await run()
    } catch (e) {
      if (e instanceof ApiCallError && e.error.issues?.length) {
        const mapped: Record<string, string> = {}
        for (const [path, message] of Object.entries(e.issuesFor(prefix))) mapped[fieldOf(path)] ??= message
        errors.value = mapped
      }
      formError.value = (e as Error).message
      return undefined
    } finally {
      saving.value = false
    }
  }

  return { errors, formError, saving, fromZod, save }
}
