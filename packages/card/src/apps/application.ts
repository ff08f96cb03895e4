import type { ApduProtocol } from '../protocol.ts';
import { digitsSecret, type SecretRef, type SecretStatus, secretStatus, verifySecret } from './secret.ts';

/**
 * What every card application session shares: selecting its AID (once; the protocol remembers),
 * reading one of its EFs whole, and its PINs or verification numbers.
 */
export abstract class ApplicationSession {
  protected constructor(
    protected readonly protocol: ApduProtocol,
    private readonly aid: Uint8Array,
    private readonly label: string,
  ) {}

  /** Selects the application now, so that opening a session on the wrong card fails at once. */
  protected static async opened<T extends ApplicationSession>(session: T): Promise<T> {
    await session.select();
    return session;
  }

  protected select(): Promise<void> {
    return this.protocol.selectApplication(this.aid, this.label);
  }

  protected async readFile(ef: number, what: string): Promise<Uint8Array> {
    await this.select();
    return this.protocol.readFile(ef, what);
  }

  protected async secretStatus(ref: SecretRef): Promise<SecretStatus> {
    await this.select();
    return secretStatus(this.protocol, ref);
  }

  /** One VERIFY with a digits-only secret; the copy sent to the card is wiped afterwards. */
  protected async verifyDigits(ref: SecretRef, value: string, digits: number): Promise<void> {
    const secret = digitsSecret(value, digits, ref.name);
    try {
      await this.select();
      await verifySecret(this.protocol, ref, secret);
    } finally {
      secret.fill(0);
    }
  }
}
