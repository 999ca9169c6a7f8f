// The way out of the stack: an HTTP proxy that refuses every connection and
// records where each one was headed, like a runner's egress firewall. Every
// run of the action is pointed at it (HTTPS_PROXY), so a run can never reach
// a real service, and a test can see which host it tried.
import { once } from 'node:events'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export class EgressProxy {
  /** Each host:port a client asked to reach, in order. */
  readonly attempts: string[] = []
  private readonly server = http.createServer((req, res) => {
    // A plain-http request through the proxy names its target as an absolute URL.
    this.attempts.push(new URL(req.url ?? '', 'http://unknown').host)
    res.writeHead(403, { 'content-type': 'text/plain' })
    res.end('Blocked by the egress policy of this runner.\n')
  })
  url = ''

  async start(): Promise<this> {
    this.server.on('connect', (req: http.IncomingMessage, socket) => {
      this.attempts.push(req.url ?? '')
      socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\nconnection: close\r\n\r\n')
    })
    this.server.listen(0, '127.0.0.1')
    await once(this.server, 'listening')
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
    return this
  }

  /** The variables that send a process's outbound traffic here; loopback stays direct. */
  env(): Record<string, string> {
    return {
      HTTPS_PROXY: this.url,
      HTTP_PROXY: this.url,
      https_proxy: this.url,
      http_proxy: this.url,
      NO_PROXY: '127.0.0.1,localhost',
      no_proxy: '127.0.0.1,localhost',
      // Node's own fetch follows the proxy variables only when asked to.
      NODE_USE_ENV_PROXY: '1',
    }
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections()
    this.server.close()
    await once(this.server, 'close')
  }
}
