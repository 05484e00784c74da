import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { VigilError } from '../../shared/errors.ts'
import { ModelCard } from '../../shared/model-card.ts'
import { formatIssues } from '../../shared/zod-format.ts'
import { userDataDir } from '../cli/user-data.ts'
import { checkGraph } from './graph-check.ts'
import { readOnnxSignature, type OnnxSignature } from './onnx-signature.ts'

/*
 * A model is data: models/<id>/model.json (the card) beside its .onnx file. The registry
 * refuses a folder whose card fails its schema, whose file's hash differs from the card's or
 * whose graph inputs and outputs differ from the card, and keeps loading the others.
 */

export interface LoadedModel {
  card: ModelCard
  dir: string
  onnxPath: string
}

export interface ModelLoadError {
  folder: string
  message: string
}

const invalid = (message: string) => new VigilError('model.invalid', message)

/** Where the app looks for models a user fitted (`vigil fit --out` there, or the in-app fit). */
export function userModelsDir(): string {
  return join(userDataDir(), 'models')
}

/**
 * Every model folder under dir, then under userDir (fitted models; a missing folder holds
 * none). A bad folder is reported in errors and the others still load; a user's model whose
 * id a loaded model already has is refused, so a fit never shadows a shipped model.
 */
export function loadModels(
  dir: string,
  userDir?: string,
): { models: LoadedModel[]; errors: ModelLoadError[] } {
  const shipped = loadFolder(dir)
  if (!userDir || !existsSync(userDir)) return shipped
  const user = loadFolder(userDir)
  const models = [...shipped.models]
  const errors = [
    ...shipped.errors,
    ...user.errors.map((e) => ({
      ...e,
      folder: e.folder === userDir ? e.folder : join(userDir, e.folder),
    })),
  ]
  for (const m of user.models) {
    const twin = models.find((o) => o.card.id === m.card.id)
    if (twin)
      errors.push({
        folder: m.dir,
        message: `${join(m.dir, 'model.json')}: id "${m.card.id}" is already taken by ${twin.dir}; give the fitted model another id`,
      })
    else models.push(m)
  }
  return { models, errors }
}

/**
 * The model folders in `dir`, sorted; hidden folders and shared code (`__common__`) are not
 * models. A folder that cannot be listed is an error naming it, not an empty list.
 */
export function modelFolders(dir: string): { folders: string[]; error: ModelLoadError | null } {
  try {
    const folders = readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && !d.name.startsWith('.') && !d.name.startsWith('__'))
      .map((d) => d.name)
      .sort()
    return { folders, error: null }
  } catch (e) {
    return {
      folders: [],
      error: { folder: dir, message: `${dir}: cannot list model folders: ${(e as Error).message}` },
    }
  }
}

function loadFolder(dir: string): { models: LoadedModel[]; errors: ModelLoadError[] } {
  const models: LoadedModel[] = []
  const errors: ModelLoadError[] = []
  const { folders, error } = modelFolders(dir)
  if (error) return { models, errors: [error] }
  for (const folder of folders) {
    try {
      models.push(loadModel(join(dir, folder)))
    } catch (e) {
      errors.push({ folder, message: e instanceof Error ? e.message : String(e) })
    }
  }
  return { models, errors }
}

/** One model folder, checked; throws VigilError('model.invalid') naming the file and field at fault. */
export function loadModel(dir: string): LoadedModel {
  const cardPath = join(dir, 'model.json')
  if (!existsSync(cardPath))
    throw invalid(`${cardPath}: missing (a model folder holds model.json beside its .onnx file)`)
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(cardPath, 'utf8'))
  } catch (e) {
    throw invalid(`${cardPath}: not valid JSON: ${(e as Error).message}`)
  }
  const parsed = ModelCard.safeParse(raw)
  if (!parsed.success)
    throw invalid(`${cardPath}: ${formatIssues(parsed.error).replaceAll('\n', `\n${cardPath}: `)}`)
  const card = parsed.data

  const onnxPath = join(dir, card.file)
  if (!existsSync(onnxPath)) throw invalid(`${cardPath}: file: "${card.file}" is missing from ${dir}`)
  const bytes = readFileSync(onnxPath)
  const sha = createHash('sha256').update(bytes).digest('hex')
  if (sha !== card.sha256)
    throw invalid(
      `${onnxPath}: sha256 is ${sha} but ${cardPath} sha256 says ${card.sha256}: the card describes another file`,
    )

  const sig = readOnnxSignature(bytes, onnxPath)
  if (card.kind === 'pca') return checkPcaGraph(card, sig, dir, onnxPath, cardPath)
  checkGraph(card, sig, onnxPath, cardPath)
  return { card, dir, onnxPath }
}

/** A fitted PCA graph takes [batch, tags] and gives the score, T², Q and contributions the card names. */
function checkPcaGraph(card: ModelCard, sig: OnnxSignature, dir: string, onnxPath: string, cardPath: string) {
  const input = sig.inputs[0]
  if (!input || sig.inputs.length !== 1 || input.name !== card.inputs.name)
    throw invalid(
      `${onnxPath}: graph inputs are ${sig.inputs.map((i) => `"${i.name}"`).join(', ')}; ${cardPath} inputs.name says "${card.inputs.name}"`,
    )
  const F = card.inputs.tags.length
  if (input.shape.length !== 2 || (typeof input.shape[1] === 'number' && input.shape[1] !== F))
    throw invalid(
      `${onnxPath}: input "${input.name}" has shape [${input.shape.join(', ')}]; ${cardPath} says [batch, ${F}] (inputs.tags)`,
    )
  const names = { 'outputs.name': card.outputs.name, ...prefixed(card.pca?.outputs ?? {}) }
  for (const [field, name] of Object.entries(names))
    if (!sig.outputs.some((o) => o.name === name))
      throw invalid(
        `${onnxPath}: graph outputs are ${sig.outputs.map((o) => `"${o.name}"`).join(', ')}; ${cardPath} ${field} says "${name}"`,
      )
  return { card, dir, onnxPath }
}

const prefixed = (o: Record<string, string>) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [`pca.outputs.${k}`, v]))
