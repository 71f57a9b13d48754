interface QueueLogger {
  error(obj: object, msg: string): void
}

/**
 * One client's work, run one task at a time: a subscription's first answer,
 * then each catch-up, so the client sees every case's transitions once and
 * in rev order. Client requests are counted apart from catch-ups so that a
 * client, not the server's own notices, is what fills the queue.
 *
 * @example
 * const queue = new ClientQueue(log, (e) => out.send(liveErrorMessage(e)))
 * if (queue.requests < limits.maxQueued) queue.request(() => subscribeCase(id))
 */
export class ClientQueue {
  private tail: Promise<void> = Promise.resolve()
  /** Client requests waiting or running, counted against `maxQueued`. */
  requests = 0

  constructor(
    private readonly log: QueueLogger,
    private readonly onFailure: (error: unknown) => void,
  ) {}

  /** Runs `task` after everything queued before it. */
  run(task: () => Promise<void>): void {
    this.tail = this.tail.then(task).catch((e: unknown) => {
      this.log.error({ err: e }, "live client task failed")
      this.onFailure(e)
    })
  }

  /** Runs a client's request in turn, counted in `requests` until it ends. */
  request(task: () => Promise<void> | void): void {
    this.requests++
    this.run(async () => {
      try {
        await task()
      } finally {
        this.requests--
      }
    })
  }
}
