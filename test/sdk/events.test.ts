/**
 * The JS API's events against the real server, with a scripted agent: each occurrence fires once,
 * in order, with the Live Chat spec's properties; replays after a reconnect or a reload fire
 * nothing again; closing the box is not the end of the conversation.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startProxy, waitFor } from '../server/harness.js';
import { openTab, pause, type Tab, liveWorld } from './support/world.js';

/** The events that describe the conversation (open, close and unread counts left out). */
const conversationEvents = (tab: Tab) =>
  tab.events.map((event) => event.name).filter((name) => !['open', 'close', 'unreadCountChanged'].includes(name));

describe('events', () => {
  const world = liveWorld('/pricing');
  const { tabs } = world;
  const cleanups: (() => unknown)[] = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  const open = (serverUrl = world.server.url) => {
    const tab = openTab({ server: serverUrl, widgetId: world.server.widgetId });
    tabs.push(tab);
    return tab;
  };

  it('fires each event once, in order, with the spec properties, and no end when the box closes', async () => {
    const tab = open();
    tab.chat.open();
    const first = await tab.chat.sendMessage('Hello, I need help');
    await waitFor('an agent to join', () => tab.state().conversation?.status === 'active');
    // Let a second pass, so the agent's reply has a duration above zero.
    await pause(1100);
    const reply = await world.agent.send({ conversationId: first.conversationId, body: 'Hi, I am here' });
    await waitFor('the reply', () => tab.named('messageReceived').length === 1);
    const second = await tab.chat.sendMessage('Great, thanks');
    await waitFor('the second message', () => tab.named('Live Chat Message Sent').length === 2);

    // Closing the box is not an end.
    tab.chat.close();
    await pause(200);
    expect(tab.named('chatEnded')).toEqual([]);
    expect(tab.named('Live Chat Conversation Ended')).toEqual([]);

    await world.agent.request({ type: 'conversation.end', conversationId: first.conversationId });
    await waitFor('the end', () => tab.named('Live Chat Conversation Ended').length === 1);
    await pause(200);

    expect(conversationEvents(tab)).toEqual([
      'chatStarted',
      'messageSent',
      'Live Chat Conversation Started',
      'Live Chat Message Sent',
      'messageReceived',
      'Live Chat Message Received',
      'messageSent',
      'Live Chat Message Sent',
      'chatEnded',
      'Live Chat Conversation Ended',
    ]);

    const conversation_id = first.conversationId;
    const agentInfo = world.server.agents[0]!;
    const agentProperties = {
      agent_id: agentInfo.id,
      agent_name: expect.stringMatching(/^Agent \d+$/) as unknown,
      agent_username: expect.stringMatching(/^agent\d+$/) as unknown,
    };
    // At the first message no agent has joined yet: the agent properties are left out, not invented.
    expect(tab.named('Live Chat Conversation Started')).toEqual([
      { conversation_id, conversation_duration: 0, message_id: first.id },
    ]);
    const [sentFirst, sentSecond] = tab.named('Live Chat Message Sent');
    expect(sentFirst).toEqual({
      conversation_id,
      conversation_duration: 0,
      message_id: first.id,
      message_body: 'Hello, I need help',
    });
    expect(sentSecond).toEqual({
      ...agentProperties,
      conversation_id,
      conversation_duration: expect.any(Number) as unknown,
      message_id: second.id,
      message_body: 'Great, thanks',
    });
    const [received] = tab.named('Live Chat Message Received');
    expect(received).toEqual({
      ...agentProperties,
      conversation_id,
      conversation_duration: expect.any(Number) as unknown,
      message_id: reply.id,
      message_body: 'Hi, I am here',
    });
    expect(received!.conversation_duration).toBeGreaterThanOrEqual(1);
    expect(Number.isInteger(received!.conversation_duration)).toBe(true);
    const [ended] = tab.named('Live Chat Conversation Ended');
    expect(ended).toEqual({
      ...agentProperties,
      conversation_id,
      conversation_duration: expect.any(Number) as unknown,
      message_id: second.id,
    });
    expect(ended!).not.toHaveProperty('message_body');

    expect(tab.named('chatStarted')).toEqual([{ conversationId: conversation_id }]);
    expect(tab.named('messageReceived')).toEqual([
      {
        conversationId: conversation_id,
        messageId: reply.id,
        body: 'Hi, I am here',
        agent: { id: agentInfo.id, name: received!.agent_name, username: received!.agent_username },
      },
    ]);
    expect(tab.named('chatEnded')).toEqual([{ conversationId: conversation_id, by: 'agent' }]);
  });

  it('fires nothing twice after a network drop and replay, nor for history after a reload', async () => {
    const proxy = await startProxy(Number(new URL(world.server.url).port));
    cleanups.push(() => proxy.close());
    const first = open(proxy.url);
    const sent = await first.chat.sendMessage('Are you there?');
    const conversationId = sent.conversationId;
    await waitFor('an agent to join', () => first.state().conversation?.status === 'active');
    await world.agent.send({ conversationId, body: 'Yes, one moment' });
    await waitFor('the first reply', () => first.named('Live Chat Message Received').length === 1);

    // The network drops; the agent answers meanwhile; the SDK reconnects and resumes.
    proxy.block();
    proxy.cut();
    await waitFor('the drop', () => first.state().connection === 'reconnecting');
    await world.agent.send({ conversationId, body: 'Found your order' });
    await pause(300);
    proxy.unblock();
    await waitFor('the missed reply', () => first.named('Live Chat Message Received').length === 2, 15_000);
    await waitFor('the reconnect', () => first.state().connection === 'open');
    await pause(300);
    expect(first.named('Live Chat Message Received').map((event) => event.message_body)).toEqual([
      'Yes, one moment',
      'Found your order',
    ]);
    expect(first.named('messageReceived')).toHaveLength(2);

    // A reload: the new page shows the whole conversation but reports none of it again.
    first.chat.destroy();
    const reloaded = open(proxy.url);
    await waitFor('the history', () => reloaded.state().messages.length === 3);
    expect(reloaded.state().messages.map((message) => message.body)).toEqual([
      'Are you there?',
      'Yes, one moment',
      'Found your order',
    ]);
    await pause(300);
    expect(conversationEvents(reloaded)).toEqual([]);

    // Something new after the reload counts, once.
    await world.agent.send({ conversationId, body: 'It ships today' });
    await waitFor('the new reply', () => reloaded.named('Live Chat Message Received').length === 1);
    await pause(300);
    expect(conversationEvents(reloaded)).toEqual(['messageReceived', 'Live Chat Message Received']);
    expect(reloaded.named('Live Chat Message Received')[0]!.message_body).toBe('It ships today');
  });

  it('reports an end by the visitor once, and a listener that throws never stops the others', async () => {
    const tab = open();
    const calls: string[] = [];
    await tab.chat.on('chatEnded', () => {
      calls.push('first');
      throw new Error('a faulty site handler');
    });
    await tab.chat.on('chatEnded', () => calls.push('second'));
    await tab.chat.sendMessage('Quick question');
    await waitFor('an agent to join', () => tab.state().conversation?.status === 'active');
    await tab.controller().endChat();
    await waitFor('the end', () => tab.named('Live Chat Conversation Ended').length === 1);
    await pause(200);
    expect(tab.named('chatEnded')).toEqual([{ conversationId: expect.any(String) as unknown, by: 'visitor' }]);
    expect(tab.named('Live Chat Conversation Ended')).toHaveLength(1);
    expect(calls).toEqual(['first', 'second']);
    // The widget still works after the faulty handler.
    await tab.controller().submitSurvey(5, 'Quick and kind');
    await waitFor('the survey', () => tab.named('surveySubmitted').length === 1);
    expect(tab.named('surveySubmitted')[0]).toMatchObject({ score: 5, comment: 'Quick and kind' });
  });
});
