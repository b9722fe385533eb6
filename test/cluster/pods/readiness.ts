// A container's readiness probe, run as a kubelet runs it: HTTP GET (2xx or 3xx passes) or a TCP connect to the
// pod's own address, every periodSeconds after initialDelaySeconds.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Container, Probe } from './pod-spec.ts';

export function portNumber(container: Container, port: number | string): number {
  if (typeof port === 'number') return port;
  const named = container.ports?.find((p) => p.name === port);
  return named ? named.containerPort : Number(port);
}

function httpProbe(url: string, timeoutMs: number): Promise<boolean> {
  const lib = url.startsWith('https:') ? https : http;
  return new Promise((resolve) => {
    const req = lib.get(url, { timeout: timeoutMs, rejectUnauthorized: false }, (res) => {
      res.resume();
      const code = res.statusCode ?? 0;
      resolve(code >= 200 && code < 400);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => {
      resolve(false);
    });
  });
}

function tcpProbe(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: timeoutMs }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('timeout', () => socket.destroy());
    socket.on('error', () => {
      resolve(false);
    });
    socket.on('close', () => {
      resolve(false);
    });
  });
}

/** One probe attempt; a container without a readiness probe is ready once started. */
export function probeOnce(container: Container, podIP: string): Promise<boolean> {
  const probe: Probe | undefined = container.readinessProbe;
  if (!probe) return Promise.resolve(true);
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
  if (probe.httpGet) {
    const scheme = (probe.httpGet.scheme ?? 'HTTP').toLowerCase();
    const port = portNumber(container, probe.httpGet.port);
    return httpProbe(`${scheme}://${podIP}:${String(port)}${probe.httpGet.path ?? '/'}`, timeoutMs);
  }
  if (probe.tcpSocket) return tcpProbe(podIP, portNumber(container, probe.tcpSocket.port), timeoutMs);
  return Promise.resolve(true);
}
