# imgscope in a container (for the Kubernetes audit Job, deploy/kubernetes/).
# Build from a checkout after `npm ci && npm run build` (the image takes dist/ as built):
#   docker build -t imgscope:0.1.0 .        (or: buildah build -t imgscope:0.1.0 .)
# BASE is any image with Node >= 20 and npm; the official one by default.
ARG BASE=docker.io/library/node:20-bookworm-slim

FROM ${BASE}
ENV NODE_ENV=production
# oclif asks the passwd database for the user's shell when SHELL is unset, and a uid that has no
# entry (runAsUser 10001, OpenShift's random uids) makes that fail: name one.
ENV SHELL=/bin/sh
WORKDIR /opt/imgscope
COPY package.json package-lock.json ./
# Behind a TLS-intercepting proxy: --build-arg NODE_EXTRA_CA_CERTS=PATH (a CA bundle inside BASE).
ARG NODE_EXTRA_CA_CERTS
# Runtime dependencies only; no install scripts run (none of them needs one).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY bin/run.js bin/package.json bin/
COPY schema schema
COPY oclif.manifest.json oclif.manifest.json
COPY dist dist
# An unprivileged user by number (Kubernetes' runAsNonRoot can check it).
USER 10001:10001
ENTRYPOINT ["node", "/opt/imgscope/bin/run.js"]
CMD ["--help"]
