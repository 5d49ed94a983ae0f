// GET /api/vocabulary: the one catalogue of labels (core/vocabulary.ts) for the board, so the
// browser shows the same words as messages, reports and dashboards. No token: nothing in it is
// private, and the sign-in page uses it too.
import type { FastifyInstance } from 'fastify';
import { VOCABULARY } from '../../core/vocabulary.ts';

export async function vocabularyRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/api/vocabulary',
    {
      schema: {
        tags: ['board'],
        summary:
          'Chinese and English labels of states, alert types, severities, equipment, metrics and roles',
      },
    },
    async (_req, reply) => {
      reply.header('cache-control', 'public, max-age=3600');
      return VOCABULARY;
    },
  );
}
