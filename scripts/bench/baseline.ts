// The per-file baseline: what per-file signers do. For each asset in turn,
// download it into memory, sign it with @sigstore/sign's FulcioSigner +
// RekorWitness + MessageSignatureBundleBuilder (a new token and certificate
// per file), then upload the bundle. Prints a JSON summary as its last line.
import { bundleToJSON } from '@sigstore/bundle'
import { FulcioSigner, MessageSignatureBundleBuilder, RekorWitness } from '@sigstore/sign'

const env = (name: string) => {
  const value = process.env[name]
  if (!value) throw new Error(`${name} is not set`)
  return value
}
const api = env('BASELINE_API_URL')
const repo = env('BASELINE_REPOSITORY')
const releaseId = env('BASELINE_RELEASE_ID')
const token = env('BASELINE_GITHUB_TOKEN')
const auth = { authorization: `token ${token}` }

async function idToken(): Promise<string> {
  const url = `${env('ACTIONS_ID_TOKEN_REQUEST_URL')}&audience=sigstore`
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${env('ACTIONS_ID_TOKEN_REQUEST_TOKEN')}` },
  })
  return ((await response.json()) as { value: string }).value
}

async function download(url: string): Promise<Buffer> {
  const redirect = await fetch(url, {
    headers: { ...auth, accept: 'application/octet-stream' },
    redirect: 'manual',
  })
  const location = redirect.headers.get('location')
  const response = location ? await fetch(location) : redirect
  const chunks: Buffer[] = []
  for await (const chunk of response.body ?? []) chunks.push(Buffer.from(chunk))
  return Buffer.concat(chunks)
}

const builder = new MessageSignatureBundleBuilder({
  signer: new FulcioSigner({
    fulcioBaseURL: env('BASELINE_FULCIO_URL'),
    identityProvider: { getToken: idToken },
  }),
  witnesses: [new RekorWitness({ rekorBaseURL: env('BASELINE_REKOR_URL') })],
})

const release = (await (
  await fetch(`${api}/repos/${repo}/releases/${releaseId}`, { headers: auth })
).json()) as {
  upload_url: string
  assets: { name: string; url: string }[]
}
const assets: { name: string; url: string }[] = []
for (let page = 1; ; page++) {
  const batch = (await (
    await fetch(`${api}/repos/${repo}/releases/${releaseId}/assets?per_page=100&page=${page}`, {
      headers: auth,
    })
  ).json()) as { name: string; url: string }[]
  assets.push(...batch)
  if (batch.length < 100) break
}

let signed = 0
const failed: { name: string; error: string }[] = []
for (const asset of assets) {
  try {
    const data = await download(asset.url)
    const bundle = await builder.create({ data })
    const body = JSON.stringify(bundleToJSON(bundle))
    const target = release.upload_url.replace(
      '{?name,label}',
      `?name=${encodeURIComponent(`${asset.name}.sigstore.json`)}`,
    )
    const uploaded = await fetch(target, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body,
    })
    if (!uploaded.ok) throw new Error(`upload failed with ${uploaded.status}`)
    signed++
  } catch (error) {
    failed.push({ name: asset.name, error: error instanceof Error ? error.message : String(error) })
  }
}
console.log(JSON.stringify({ signed, failed }))
