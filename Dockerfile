# Netra: one image for the API, the Prefect runner (`netra serve`) and the Prefect server.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint (letters as PDF) needs Pango; fonts for Indonesian letters.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
       libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml constraints.txt README.md ./
COPY rules/ rules/
COPY states/ states/
COPY db/ db/
COPY letters/ letters/
COPY cases/ cases/
COPY workflows/ workflows/
COPY cli/ cli/
COPY api/ api/
COPY web/ web/
RUN pip install -c constraints.txt . \
    && useradd --create-home --uid 10001 netra
USER netra
WORKDIR /home/netra

EXPOSE 8000
CMD ["netra", "api", "--host", "0.0.0.0"]
